"""swletter's engine: from a case file to a letter asking for a change of social worker.

The public API a charity's own script can use::

    from letters import load_case, compose_letter, render_markdown, write_letter

    case = load_case("case.yaml")
    letter = compose_letter(case)
    write_letter(letter, "letter.docx")
"""
