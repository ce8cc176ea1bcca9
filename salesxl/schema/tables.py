"""Every input table of the office workbook, declared once.

The template, the reader, the validators, the demo generator and the schema
reference in docs/ are all generated from these declarations. The customer
card follows the rule book (客户档案管理制度): base data, characteristics,
business status and trade status, plus classification by nature.
"""

from __future__ import annotations

from salesxl.schema.types import Choice, Column, ColType as T, PersonalWhen, RequiredWhen, Table


def choices(*rows: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(code, zh, en) for code, zh, en in rows)


LIFECYCLE = choices(
    ("prospect", "潜在", "Prospect"),
    ("intent", "意向", "Intent"),
    ("active", "成交", "Active"),
    ("lost", "流失", "Lost"),
)
DATA_SOURCE = choices(
    ("visit", "业务员拜访", "Salesperson visit"),
    ("self_filled", "客户自填", "Customer self-filled"),
    ("agency", "机构调查", "Agency survey"),
)
OWNERSHIP = choices(
    ("state", "国有", "State-owned"),
    ("collective", "集体", "Collective"),
    ("private", "民营", "Private"),
    ("foreign", "外资", "Foreign-owned"),
    ("joint", "合资", "Joint venture"),
    ("individual", "个体", "Sole trader"),
)
CHANNEL = choices(
    ("wholesaler", "批发商", "Wholesaler"),
    ("retailer", "零售商", "Retailer"),
    ("agent", "代理商", "Agent"),
    ("franchise", "加盟店", "Franchise"),
    ("chain", "连锁店", "Chain store"),
    ("specialty", "专卖店", "Specialty store"),
)
LOCATION = choices(
    ("commercial", "商业中心", "Commercial centre"),
    ("transport", "交通枢纽", "Transport hub"),
    ("residential", "居民区", "Residential"),
    ("other", "其他", "Other"),
)
ORG_FORM = choices(
    ("llc", "有限责任公司", "Limited liability company"),
    ("joint_stock", "股份有限公司", "Joint-stock company"),
    ("sole", "个人独资企业", "Sole proprietorship"),
    ("partnership", "合伙企业", "Partnership"),
    ("individual", "个体工商户", "Individual business"),
    ("other", "其他", "Other"),
)
LEVEL3 = choices(("high", "高", "High"), ("medium", "中", "Medium"), ("low", "低", "Low"))
CAPACITY = choices(("strong", "强", "Strong"), ("medium", "中", "Medium"), ("weak", "弱", "Weak"))
ATTITUDE = choices(("positive", "积极", "Positive"), ("neutral", "一般", "Neutral"), ("negative", "消极", "Negative"))
COMPETITOR = choices(
    ("none", "未与竞品合作", "No competitor business"),
    ("some", "部分经销竞品", "Some competitor business"),
    ("main", "主营竞品", "Mainly competitors"),
)
CREDIT = choices(("good", "良好", "Good"), ("fair", "一般", "Fair"), ("poor", "较差", "Poor"))
TERMS = choices(
    ("cash", "现款现货", "Cash on delivery"),
    ("prepaid", "预付款", "Prepayment"),
    ("credit", "账期", "Credit terms"),
    ("consignment", "代销", "Consignment"),
)
VISIT_TYPE = choices(
    ("onsite", "上门拜访", "On-site visit"),
    ("phone", "电话", "Phone call"),
    ("online", "微信/线上", "Online"),
    ("event", "展会/活动", "Trade show / event"),
)
URGENT_TYPE = choices(
    ("complaint", "客户投诉", "Complaint"),
    ("credit", "信用问题", "Credit problem"),
    ("competitor", "竞争对手动态", "Competitor move"),
    ("other", "其他紧急", "Other urgent"),
)
ORDER_TYPE = choices(("sale", "销售", "Sale"), ("return", "退货", "Return"))
ORDER_STATUS = choices(
    ("open", "未发货", "Open"),
    ("shipped", "已发货", "Shipped"),
    ("invoiced", "已开票", "Invoiced"),
    ("cancelled", "已取消", "Cancelled"),
)
PAY_METHOD = choices(
    ("transfer", "银行转账", "Bank transfer"),
    ("cash", "现金", "Cash"),
    ("acceptance", "承兑汇票", "Bank acceptance"),
    ("mobile", "微信/支付宝", "Mobile payment"),
)
TARGET_SCOPE = choices(("company", "公司", "Company"), ("region", "区域", "Region"), ("salesperson", "销售员", "Salesperson"))
EXPENSE_CATEGORY = choices(
    ("travel", "差旅费", "Travel"),
    ("entertainment", "招待费", "Entertainment"),
    ("transport", "交通费", "Local transport"),
    ("communication", "通讯费", "Communication"),
    ("advertising", "广告宣传费", "Advertising"),
    ("samples", "样品费", "Samples"),
    ("other", "其他", "Other"),
)
CONTRACT_STATUS = choices(
    ("draft", "草拟", "Draft"),
    ("active", "生效", "In force"),
    ("expired", "到期", "Expired"),
    ("terminated", "终止", "Terminated"),
)
INQUIRY_RESULT = choices(("pending", "跟进中", "Pending"), ("won", "成交", "Won"), ("lost", "未成交", "Lost"))
PRICE_CUSTOMER_TYPE = choices(
    ("all", "全部", "All"),
    *((c.code, c.zh, c.en) for c in CHANNEL),
    ("grade_a", "A级客户", "Grade A"),
    ("grade_b", "B级客户", "Grade B"),
    ("grade_c", "C级客户", "Grade C"),
    ("grade_d", "D级客户", "Grade D"),
)

# -- complaints and market information (issue 18) --
COMPLAINT_CHANNEL = choices(
    ("visit", "拜访时反映", "During a visit"),
    ("phone", "电话", "Phone"),
    ("online", "微信/线上", "WeChat / online"),
    ("letter", "信函", "Letter"),
)
COMPLAINT_CATEGORY = choices(
    ("quality", "产品质量", "Product quality"),
    ("delivery", "交货", "Delivery"),
    ("billing", "价格或账款", "Price or billing"),
    ("service", "服务", "Service"),
    ("staff_conduct", "员工行为", "Staff conduct"),
)
SEVERITY = choices(("high", "严重", "High"), ("medium", "一般", "Medium"), ("low", "轻微", "Low"))
COMPLAINT_STATUS = choices(
    ("open", "待处理", "Open"),
    ("acknowledged", "已受理", "Acknowledged"),
    ("resolved", "已解决", "Resolved"),
    ("closed", "已结案", "Closed"),
)
MARKET_TYPE = choices(
    ("competitor_price", "竞品价格", "Competitor price"),
    ("competitor_promotion", "竞品促销", "Competitor promotion"),
    ("new_product", "新产品", "New product"),
    ("channel_change", "渠道变化", "Channel change"),
    ("policy", "政策法规", "Policy or regulation"),
    ("credit_risk", "信用或市场风险", "Credit or market risk"),
)

SIGNED = RequiredWhen("status", ("active",))
IN_TOUCH = RequiredWhen("status", ("intent", "active"))
#: An individual business's phone is its owner's own; any mobile number belongs to a person.
OWNERS_PHONE = PersonalWhen((("ownership_type", ("individual",)), ("org_form", ("individual",))), mobiles=True)


SETTINGS = Table(
    "settings", "设置", "Settings",
    key_value=True,
    description_zh="每行一个设置项；值为空时使用默认值。",
    description_en="One setting per row; a blank value means the default.",
    columns=(
        Column("key", "设置键", "Key", T.ID, required=True, width=26),
        Column("name", "名称", "Name", width=28),
        Column("value", "值", "Value", width=18, hint_zh="填写新值；留空使用默认值", hint_en="Type a new value; blank means the default"),
        Column("default", "默认值", "Default", width=18),
        Column("description", "说明", "Description", width=60),
    ),
)

SALESPEOPLE = Table(
    "salespeople", "销售员", "Salespeople",
    aliases=("业务员", "销售人员", "Sales reps"),
    description_zh="销售员名单、所属区域和出发地点。",
    description_en="Salespeople, their regions and where their rounds start.",
    columns=(
        Column("salesperson_id", "工号", "Salesperson ID", T.ID, required=True, identity=True, aliases=("销售员编号", "员工编号", "ID")),
        Column("name", "姓名", "Name", required=True),
        Column("region", "区域", "Region", required=True, aliases=("负责区域",)),
        Column("phone", "手机", "Mobile", T.MOBILE, personal=True),
        Column("email", "邮箱", "E-mail", T.EMAIL),
        Column("manager", "上级", "Manager"),
        Column("hire_date", "入职日期", "Hire date", T.DATE),
        Column("base_address", "出发地址", "Start address", width=28),
        Column("base_lat", "出发纬度", "Start latitude", T.LAT),
        Column("base_lon", "出发经度", "Start longitude", T.LON),
        Column("max_visits_per_day", "每日最多拜访", "Max visits per day", T.INT, minimum=1, maximum=40),
        Column("active", "在职", "Active", T.BOOL),
    ),
)

CUSTOMERS = Table(
    "customers", "客户档案", "Customers",
    aliases=("客户", "客户资料", "Customer cards"),
    description_zh="客户档案卡：基础资料、客户特征、业务状况、交易现状及分类。",
    description_en="Customer cards: base data, characteristics, business status, trade status and classification.",
    columns=(
        # base data
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, identity=True, block="base", aliases=("编号", "客户代码")),
        Column("name", "客户名称", "Customer name", required=True, block="base", aliases=("名称", "企业名称"), width=26),
        Column("uscc", "统一社会信用代码", "USCC", T.USCC, required=SIGNED, block="base",
               aliases=("信用代码", "Unified social credit code"),
               hint_zh="18位，末位为校验码（GB 32100-2015）", hint_en="18 characters, the last one a check digit (GB 32100-2015)"),
        Column("address", "地址", "Address", required=IN_TOUCH, block="base", width=30),
        Column("phone", "电话", "Phone", T.PHONE, required=IN_TOUCH, block="base", personal=OWNERS_PHONE,
               hint_zh="手机11位或座机如 020-12345678", hint_en="11-digit mobile or landline such as 020-12345678"),
        Column("email", "邮箱", "E-mail", T.EMAIL, block="base"),
        Column("owner", "业主", "Owner", block="base"),
        Column("manager", "经理", "Manager", block="base"),
        Column("legal_rep", "法定代表人", "Legal representative", required=SIGNED, block="base"),
        Column("founded", "成立日期", "Founded", T.DATE, block="base"),
        Column("first_trade", "首次交易日期", "First trade date", T.DATE, block="base"),
        Column("org_form", "组织形式", "Organisation form", T.ENUM, choices=ORG_FORM, block="base"),
        Column("industry", "行业", "Industry", block="base"),
        Column("registered_capital", "注册资本", "Registered capital", T.MONEY, block="base", minimum=0),
        Column("total_assets", "资产总额", "Total assets", T.MONEY, block="base", minimum=0),
        # characteristics
        Column("service_area", "服务区域", "Service area", block="characteristics"),
        Column("sales_capacity", "销售能力", "Sales capacity", T.ENUM, choices=CAPACITY, block="characteristics"),
        Column("growth_potential", "发展潜力", "Growth potential", T.ENUM, choices=LEVEL3, block="characteristics"),
        Column("employees", "员工人数", "Employees", T.INT, block="characteristics", minimum=0),
        Column("annual_revenue", "年营业额", "Annual revenue", T.MONEY, block="characteristics", minimum=0,
               hint_zh="客户自报数字需审核", hint_en="Figures the customer reports must be audited"),
        # business status
        Column("competitor_relation", "与竞争对手关系", "Relation with competitors", T.ENUM, choices=COMPETITOR, block="business"),
        Column("cooperation_attitude", "合作态度", "Cooperation attitude", T.ENUM, choices=ATTITUDE, block="business"),
        # trade status
        Column("credit_standing", "信用状况", "Credit standing", T.ENUM, choices=CREDIT, required=SIGNED, block="trade"),
        Column("payment_terms", "交易条件", "Trade terms", T.ENUM, choices=TERMS, required=SIGNED, block="trade"),
        Column("payment_days", "账期天数", "Payment days", T.INT, block="trade", minimum=0, maximum=365),
        Column("credit_limit", "信用额度", "Credit limit", T.MONEY, block="trade", minimum=0),
        Column("credit_problems", "以往信用问题", "Past credit problems", block="trade", width=24),
        # classification by nature
        Column("ownership_type", "所有制", "Ownership type", T.ENUM, choices=OWNERSHIP, block="classification"),
        Column("channel_type", "渠道类型", "Channel type", T.ENUM, choices=CHANNEL, required=IN_TOUCH, block="classification"),
        Column("location_type", "位置类型", "Location type", T.ENUM, choices=LOCATION, block="classification"),
        Column("region", "区域", "Region", required=True, block="classification"),
        Column("lat", "纬度", "Latitude", T.LAT, required=IN_TOUCH, block="classification", minimum=-90, maximum=90),
        Column("lon", "经度", "Longitude", T.LON, required=IN_TOUCH, block="classification", minimum=-180, maximum=180),
        Column("salesperson_id", "负责销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id",
               block="classification", aliases=("销售员", "业务员", "Salesperson ID")),
        Column("status", "客户状态", "Status", T.ENUM, choices=LIFECYCLE, required=True, block="classification"),
        Column("data_source", "资料来源", "Data source", T.ENUM, choices=DATA_SOURCE, block="classification"),
        Column("audited", "已审核", "Audited", T.BOOL, block="classification"),
        Column("created", "建档日期", "Card created", T.DATE, block="classification"),
        Column("updated", "更新日期", "Card updated", T.DATE, block="classification"),
        Column("notes", "备注", "Notes", block="classification", width=24),
    ),
)

CONTACTS = Table(
    "contacts", "联系人", "Contacts",
    description_zh="客户的联系人；个人信息仅供内部使用。",
    description_en="The customers' people; personal data stays inside the office.",
    columns=(
        Column("contact_id", "联系人编号", "Contact ID", T.ID, required=True, identity=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("name", "姓名", "Name", required=True),
        Column("title", "职务", "Title"),
        Column("mobile", "手机", "Mobile", T.MOBILE, personal=True),
        Column("office_phone", "办公电话", "Office phone", T.PHONE, personal=PersonalWhen(mobiles=True)),
        Column("email", "邮箱", "E-mail", T.EMAIL),
        Column("key_person", "关键决策人", "Decision maker", T.BOOL),
        Column("birthday", "生日", "Birthday", T.DATE, personal=True),
        Column("hobbies", "爱好", "Hobbies", personal=True),
        Column("family", "家庭情况", "Family", personal=True),
        Column("home_address", "家庭住址", "Home address", personal=True, width=28),
        Column("notes", "备注", "Notes"),
    ),
)

VISITS = Table(
    "visits", "拜访记录", "Visits",
    aliases=("拜访日报", "Visit reports"),
    description_zh="业务员的拜访日报，每次拜访一行。",
    description_en="The visit daily report: one row per visit.",
    columns=(
        Column("visit_id", "拜访编号", "Visit ID", T.ID, required=True, identity=True),
        Column("date", "拜访日期", "Visit date", T.DATE, required=True),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id"),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("contact_id", "联系人编号", "Contact ID", T.ID, ref="contacts.contact_id"),
        Column("visit_type", "拜访方式", "Visit type", T.ENUM, choices=VISIT_TYPE),
        Column("purpose", "拜访目的", "Purpose"),
        Column("result", "拜访结果", "Result", width=24),
        Column("intent_level", "意向程度", "Intent level", T.ENUM, choices=LEVEL3),
        Column("order_taken", "是否下单", "Order taken", T.BOOL),
        Column("next_step", "下一步", "Next step", width=24),
        Column("next_date", "下次拜访日期", "Next visit date", T.DATE),
        Column("urgent", "紧急", "Urgent", T.BOOL),
        Column("urgent_type", "紧急类型", "Urgent type", T.ENUM, choices=URGENT_TYPE, required=RequiredWhen("urgent", ("true",))),
        Column("followed_up", "已跟进", "Followed up", T.BOOL),
    ),
)

ORDERS = Table(
    "orders", "销售明细", "Orders",
    aliases=("订单", "销售订单", "Sales lines"),
    description_zh="订单明细，每个产品一行；退货为负数量或类型“退货”。",
    description_en="Order lines, one per product; returns have type Return.",
    columns=(
        Column("line_id", "明细编号", "Line ID", T.ID, required=True, identity=True),
        Column("order_id", "订单号", "Order no.", T.ID, required=True),
        Column("date", "订单日期", "Order date", T.DATE, required=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id"),
        Column("product_id", "产品编号", "Product ID", T.ID, required=True),
        Column("product_name", "产品名称", "Product"),
        Column("product_line", "产品线", "Product line"),
        Column("quantity", "数量", "Quantity", T.NUMBER, required=True),
        Column("unit_price", "单价", "Unit price", T.MONEY, required=True, minimum=0),
        Column("amount", "金额", "Amount", T.MONEY, required=True),
        Column("type", "类型", "Type", T.ENUM, choices=ORDER_TYPE),
        Column("status", "状态", "Status", T.ENUM, choices=ORDER_STATUS),
        Column("invoice_no", "发票号", "Invoice no.", T.ID),
        Column("invoice_date", "开票日期", "Invoice date", T.DATE),
        Column("due_date", "到期日", "Due date", T.DATE),
    ),
)

PAYMENTS = Table(
    "payments", "回款", "Payments",
    aliases=("回款记录", "收款"),
    columns=(
        Column("payment_id", "回款编号", "Payment ID", T.ID, required=True, identity=True),
        Column("date", "回款日期", "Payment date", T.DATE, required=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("amount", "金额", "Amount", T.MONEY, required=True),
        Column("method", "方式", "Method", T.ENUM, choices=PAY_METHOD),
        Column("invoice_no", "对应发票号", "For invoice no.", T.ID,
               hint_zh="留空则按先进先出冲销", hint_en="Blank: allocated first-in-first-out"),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, ref="salespeople.salesperson_id"),
        Column("notes", "备注", "Notes"),
    ),
)

TARGETS = Table(
    "targets", "销售目标", "Targets",
    description_zh="年度目标：公司、区域或销售员，可按产品线。",
    description_en="Annual targets for the company, a region or a salesperson, optionally by product line.",
    columns=(
        Column("target_id", "目标编号", "Target ID", T.ID, required=True, identity=True),
        Column("year", "年度", "Year", T.INT, required=True, minimum=2000, maximum=2100),
        Column("scope", "层级", "Scope", T.ENUM, choices=TARGET_SCOPE, required=True),
        Column("region", "区域", "Region", required=RequiredWhen("scope", ("region",))),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, ref="salespeople.salesperson_id",
               required=RequiredWhen("scope", ("salesperson",))),
        Column("product_line", "产品线", "Product line"),
        Column("amount", "目标金额", "Target amount", T.MONEY, required=True, minimum=0),
        Column("quantity", "目标数量", "Target quantity", T.NUMBER, minimum=0),
        Column("weight", "分解权重", "Weight", T.NUMBER, minimum=0,
               hint_zh="手工权重（可选）", hint_en="Manual weight (optional)"),
        Column("notes", "备注", "Notes"),
    ),
)

BUDGET = Table(
    "budget", "费用预算", "Budget",
    columns=(
        Column("budget_id", "预算编号", "Budget ID", T.ID, required=True, identity=True),
        Column("year", "年度", "Year", T.INT, required=True, minimum=2000, maximum=2100),
        Column("month", "月份", "Month", T.INT, required=True, minimum=1, maximum=12),
        Column("category", "费用类别", "Category", T.ENUM, choices=EXPENSE_CATEGORY, required=True),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, ref="salespeople.salesperson_id"),
        Column("amount", "预算金额", "Budget amount", T.MONEY, required=True, minimum=0),
    ),
)

EXPENSES = Table(
    "expenses", "费用", "Expenses",
    aliases=("费用明细",),
    columns=(
        Column("expense_id", "费用编号", "Expense ID", T.ID, required=True, identity=True),
        Column("date", "日期", "Date", T.DATE, required=True),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id"),
        Column("category", "费用类别", "Category", T.ENUM, choices=EXPENSE_CATEGORY, required=True),
        Column("amount", "金额", "Amount", T.MONEY, required=True, minimum=0),
        Column("customer_id", "客户编号", "Customer ID", T.ID, ref="customers.customer_id"),
        Column("description", "说明", "Description", width=24),
        Column("receipt_no", "票据号", "Receipt no.", T.ID),
        Column("approved", "已审批", "Approved", T.BOOL),
    ),
)

PRICE_LIST = Table(
    "price_list", "价格表", "PriceList",
    aliases=("价目表", "Price list"),
    columns=(
        Column("price_id", "价格编号", "Price ID", T.ID, required=True, identity=True),
        Column("product_id", "产品编号", "Product ID", T.ID, required=True),
        Column("product_name", "产品名称", "Product"),
        Column("product_line", "产品线", "Product line"),
        Column("unit", "单位", "Unit"),
        Column("customer_type", "适用客户类型", "Customer type", T.ENUM, choices=PRICE_CUSTOMER_TYPE),
        Column("list_price", "标准价", "List price", T.MONEY, required=True, minimum=0),
        Column("min_price", "最低限价", "Minimum price", T.MONEY, minimum=0),
        Column("max_discount", "最大折扣", "Max discount", T.PERCENT, minimum=0, maximum=1),
        Column("valid_from", "生效日期", "Valid from", T.DATE),
        Column("valid_to", "失效日期", "Valid to", T.DATE),
        Column("season", "季节", "Season"),
    ),
)

CONTRACTS = Table(
    "contracts", "合同", "Contracts",
    columns=(
        Column("contract_id", "合同编号", "Contract ID", T.ID, required=True, identity=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, ref="salespeople.salesperson_id"),
        Column("signed_date", "签订日期", "Signed", T.DATE, required=True),
        Column("start_date", "开始日期", "Start", T.DATE),
        Column("end_date", "结束日期", "End", T.DATE),
        Column("amount", "合同金额", "Amount", T.MONEY, minimum=0),
        Column("status", "状态", "Status", T.ENUM, choices=CONTRACT_STATUS),
        Column("notes", "备注", "Notes"),
    ),
)

INQUIRIES = Table(
    "inquiries", "询价", "Inquiries",
    aliases=("询价记录",),
    columns=(
        Column("inquiry_id", "询价编号", "Inquiry ID", T.ID, required=True, identity=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, ref="customers.customer_id"),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id"),
        Column("received_at", "询价时间", "Received", T.DATETIME, required=True),
        Column("quoted_at", "报价时间", "Quoted", T.DATETIME),
        Column("product_id", "产品编号", "Product ID", T.ID),
        Column("quantity", "数量", "Quantity", T.NUMBER),
        Column("quoted_price", "报价", "Quoted price", T.MONEY, minimum=0),
        Column("result", "结果", "Result", T.ENUM, choices=INQUIRY_RESULT),
    ),
)

#: A complaint is answered once it is resolved or closed; those need when and how.
SETTLED = RequiredWhen("status", ("resolved", "closed"))
PRICE_SEEN = RequiredWhen("type", ("competitor_price",))

COMPLAINTS = Table(
    "complaints", "客户投诉", "Complaints",
    aliases=("投诉", "投诉记录", "Customer complaints"),
    description_zh="客户投诉，每次投诉一行：受理、解决、结案及客户是否满意。",
    description_en="Customer complaints, one per row: acknowledged, resolved, closed and whether the customer is satisfied.",
    columns=(
        Column("complaint_id", "投诉编号", "Complaint ID", T.ID, required=True, identity=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, required=True, ref="customers.customer_id"),
        Column("received_at", "投诉时间", "Received at", T.DATETIME, required=True,
               hint_zh="日期和时间，如 2026-10-12 14:30", hint_en="Date and time, e.g. 2026-10-12 14:30"),
        Column("channel", "投诉渠道", "Channel", T.ENUM, choices=COMPLAINT_CHANNEL),
        Column("category", "投诉类别", "Category", T.ENUM, choices=COMPLAINT_CATEGORY, required=True,
               hint_zh="员工行为类投诉只给经理看，不进销售员的副本",
               hint_en="Staff-conduct complaints are for the manager only and never go into a salesperson's copy"),
        Column("severity", "严重程度", "Severity", T.ENUM, choices=SEVERITY, required=True),
        Column("description", "客户反映", "What the customer said", width=30),
        Column("owner", "处理人", "Owner", T.ID, ref="salespeople.salesperson_id",
               hint_zh="工号；留空则由客户的负责销售员处理", hint_en="Salesperson ID; blank means the customer's salesperson"),
        Column("status", "处理状态", "Status", T.ENUM, choices=COMPLAINT_STATUS, required=True),
        Column("acknowledged_at", "受理时间", "Acknowledged at", T.DATETIME,
               required=RequiredWhen("status", ("acknowledged", "resolved", "closed"))),
        Column("resolved_at", "解决时间", "Resolved at", T.DATETIME, required=SETTLED),
        Column("resolution", "处理结果", "Resolution", required=SETTLED, width=30),
        Column("satisfied", "客户满意", "Customer satisfied", T.BOOL,
               hint_zh="办公室回访客户后填写", hint_en="Filled in by the office after calling the customer back"),
        Column("linked_id", "关联拜访或订单", "Linked visit or order", T.ID,
               hint_zh="拜访编号或订单号", hint_en="A visit ID or an order number"),
    ),
)

MARKET = Table(
    "market", "市场信息", "MarketInfo",
    aliases=("市场信息报备", "Market information", "Market info"),
    description_zh="业务员定期报备的市场信息：竞品价格与促销、新产品、渠道、政策和风险。",
    description_en="Market information the salespeople report: competitor prices and promotions, new products, "
                   "channels, policy and risks.",
    columns=(
        Column("report_id", "信息编号", "Report ID", T.ID, required=True, identity=True),
        Column("date", "日期", "Date", T.DATE, required=True),
        Column("salesperson_id", "销售员", "Salesperson", T.ID, required=True, ref="salespeople.salesperson_id"),
        Column("region", "区域", "Region", required=True),
        Column("customer_id", "客户编号", "Customer ID", T.ID, ref="customers.customer_id",
               hint_zh="可选：信息来自哪个客户", hint_en="Optional: the customer the information came from"),
        Column("type", "信息类型", "Type", T.ENUM, choices=MARKET_TYPE, required=True),
        Column("competitor", "竞争对手", "Competitor"),
        Column("product_line", "产品线", "Product line", required=PRICE_SEEN,
               hint_zh="与价格表的产品线相同才能比价", hint_en="The price list's product line, so prices can be compared"),
        Column("observed_price", "观察价格", "Observed price", T.MONEY, required=PRICE_SEEN, minimum=0),
        Column("unit", "单位", "Unit", required=PRICE_SEEN, hint_zh="与价格表的单位相同", hint_en="The price list's unit"),
        Column("source", "信息来源", "Source"),
        Column("note", "内容", "Note", width=30),
        Column("urgent", "紧急", "Urgent", T.BOOL),
    ),
)

#: Input tables in sheet order.
TABLES: tuple[Table, ...] = (
    SETTINGS, SALESPEOPLE, CUSTOMERS, CONTACTS, VISITS, ORDERS, PAYMENTS,
    TARGETS, BUDGET, EXPENSES, PRICE_LIST, CONTRACTS, INQUIRIES, COMPLAINTS, MARKET,
)
TABLES_BY_KEY: dict[str, Table] = {t.key: t for t in TABLES}

CARD_BLOCKS: dict[str, tuple[str, str]] = {
    "base": ("基础资料", "Base data"),
    "characteristics": ("客户特征", "Characteristics"),
    "business": ("业务状况", "Business status"),
    "trade": ("交易现状", "Trade status"),
    "classification": ("分类与管理", "Classification and management"),
}


def table(key: str) -> Table:
    return TABLES_BY_KEY[key]

#: What a salesperson may do to each table in their own copy: "add" (new rows, and edit their own rows),
#: "edit" (their own rows only) or "none" (the office's alone); with the columns of an editable table they
#: may not change. Consolidation enforces this whatever the copy says; the copy locks the rest.
COPY_RIGHTS: dict[str, tuple[str, frozenset[str]]] = {
    "settings": ("none", frozenset()),
    "salespeople": ("edit", frozenset({"salesperson_id", "name", "region", "manager", "hire_date",
                                       "max_visits_per_day", "active"})),
    "customers": ("add", frozenset({"credit_standing", "payment_terms", "payment_days", "credit_limit",
                                    "credit_problems", "salesperson_id", "audited"})),
    "contacts": ("add", frozenset()),
    "visits": ("add", frozenset({"salesperson_id"})),
    "orders": ("none", frozenset()),
    "payments": ("none", frozenset()),
    "targets": ("none", frozenset()),
    "budget": ("none", frozenset()),
    "expenses": ("add", frozenset({"salesperson_id", "approved"})),
    "price_list": ("none", frozenset()),
    "contracts": ("none", frozenset()),
    "inquiries": ("add", frozenset({"salesperson_id"})),
    # The salesperson records and works on the complaints of their own customers; the office assigns the
    # owner and records whether the customer is satisfied (its own call back), so nobody signs off their own.
    "complaints": ("add", frozenset({"owner", "satisfied"})),
    "market": ("add", frozenset({"salesperson_id"})),
}

#: Rows that never go into a salesperson's copy, by a column's values: complaints about staff conduct are
#: the manager's to read.
OFFICE_ONLY_ROWS: dict[str, tuple[str, frozenset[str]]] = {
    "complaints": ("category", frozenset({"staff_conduct"})),
}


def copy_may_edit(table_key: str, column: str) -> bool:
    """May a salesperson change `column` of their own rows of `table_key` in their copy?"""
    rows, locked = COPY_RIGHTS[table_key]
    return rows != "none" and column not in locked


def copy_may_add(table_key: str) -> bool:
    """May a salesperson add rows to `table_key` in their copy?"""
    return COPY_RIGHTS[table_key][0] == "add"
