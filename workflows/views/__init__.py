"""The workflows app's web pages, one module per page or proposal section; `workflows/urls.py` lists them."""
