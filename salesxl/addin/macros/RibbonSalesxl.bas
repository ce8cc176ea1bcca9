Attribute VB_Name = "RibbonSalesxl"
Option Explicit

' Ribbon callbacks of the salesxl add-in. Each button runs one entry point of
' the Python module salesxl.excel through xlwings' RunPython; the work itself
' happens in Python, on the workbook that was active when the button was pressed.

Sub ValidateCards(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.validate_cards()"
End Sub

Sub NextIssue(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.next_issue()"
End Sub

Sub RecalcAll(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.recalc_all()"
End Sub

Sub Grades(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.grades()"
End Sub

Sub Routes(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.routes()"
End Sub

Sub Territories(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.territories()"
End Sub

Sub TargetPlan(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.target_plan()"
End Sub

Sub Reports(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.reports()"
End Sub

Sub NewFromTemplate(control As IRibbonControl)
    ' RunPython reads ActiveWorkbook first: with no workbook open it would stop with error 91.
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import salesxl.excel as x; x.new_from_template()"
End Sub

Sub About(control As IRibbonControl)
    RunPython "import salesxl.excel as x; x.about()"
End Sub
