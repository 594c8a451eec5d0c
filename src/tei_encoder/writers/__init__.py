"""Writers: a finished Document as the bytes of one output format."""
