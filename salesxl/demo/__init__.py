"""A generated demo sales office (Guangzhou) for the template, the tests and the benchmarks."""

from salesxl.demo.generator import SIZES, DemoOffice, Size, generate_office

__all__ = ["SIZES", "DemoOffice", "Size", "generate_office"]
