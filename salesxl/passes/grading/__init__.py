"""The parts of the customer grading pass: sales and ABC classes, composite scores, credit, history."""
