"""Bulk letters for charities: many cases, from case files and spreadsheets, in one run.

``run.run_bulk(request)`` is the whole use case (``letters.api.run_bulk`` calls it). Its parts:

- reading spreadsheets: ``tables`` (files to rows of cells), ``columns`` (which column fills
  which field), ``mapping`` (a CRM's own column names), ``cells`` (a cell's value as case data),
  ``sheets`` (rows to cases, and the sheets' own problems), ``workbook`` (opening .xlsx safely);
- planning: ``plan`` (inputs to jobs, each with its file name and its key);
- each case: ``letter`` (checked, worded, written, replacing its own earlier letter), ``pool``
  (in worker processes: ``workers``), ``recorder`` (into the register);
- the output folder: ``folder`` (lock, previous versions, temporaries), ``state`` and
  ``fingerprint`` (what each letter was made from);
- the outcome: ``report`` (the report file), ``summary`` (what the screen says), ``combined``
  (one file to print);
- ``followups``: a follow-up for every overdue request in the register; ``template``: the
  spreadsheet to fill in.
"""
