"""archinfer: infer the infrastructure sections of an architecture document from infrastructure code."""

__version__ = "0.1.0"
