"""Reading and checking case files: the schema, the YAML and JSON reader, validation, typed dates,
the grounds registry and the part of the UK.
"""
