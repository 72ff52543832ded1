"""Importing: decision forms kept as Word, PDF or text files brought in as records (``jmb import``).

A reader turns a file into :class:`~jmb.ingest.blocks.Block` values (headings, paragraphs, list
items, tables, each with where it was in the file); the mapping turns blocks into a record, and says
of every block it could not place where it was, so that nothing is dropped silently.

It may import repo, record and core (and check, to report on what it wrote); never sign, render,
publish or the command line. It only reads its inputs: nothing in them is run or fetched.
"""
