"""The namespaces and query bindings that the schema reader and the stylesheet writer share."""

SCH = "http://purl.oclc.org/dsdl/schematron"
SCH15 = "http://www.ascc.net/xml/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
XS = "http://www.w3.org/2001/XMLSchema"
SQF = "http://www.schematron-quickfix.com/validator/process"
OWN = "urn:x-tei-encoder:schematron"  # the namespace of this compiler's helper functions

QUERY_BINDINGS = {"xslt", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31"}
_S = "{%s}" % SCH
