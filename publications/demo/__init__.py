"""Invented, bilingual demo content and the code that turns it into rows.

The texts live in data/ (TOML files an editor can read and change, and the
body's HTML template); images.py and pdfs.py draw the demo's pictures and
PDFs; plan.py decides the catalogue, writing.py composes each publication's
texts and loader.py writes the rows (the load_demo command). synthetic.py and
generator.py make the large synthetic catalogues of generate_publications.
"""
