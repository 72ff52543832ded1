"""Rendering: a record to its public Part 1 and its confidential Part 2, in HTML, PDF, Word and Markdown.

Owns the views the templates see (:mod:`~jmb.render.part1`, :mod:`~jmb.render.part2`), the renderer
and its batch (:mod:`~jmb.render.renderer`), Markdown escaping, the Word writer, and the clock a
PDF is made by (:mod:`~jmb.render.clock`: the record's date, so the same record is the same bytes).

Never imports :mod:`jmb.sign` (rendering does not sign, and signing does not render) or anything above
(publish, ingest, serve, cli). Within it, only :mod:`~jmb.render.part2` reads a record's Part 2; the
Part 1 view asks it for the one fact Part 1 may state, and has no field that can hold Part 2 content.
"""
