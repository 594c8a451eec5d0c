"""Validation of editions; today through jing, the reference RELAX NG validator."""
