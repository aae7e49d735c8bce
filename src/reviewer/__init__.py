"""reviewer: a reviewer for Python code and Jupyter notebooks, built for AI-written code."""

__version__ = "0.1.0"
