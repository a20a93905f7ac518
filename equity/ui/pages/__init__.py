"""One module per page or page family; each exposes one ``*_page`` function."""
