"""One module per pass, each exporting one function named after the module."""
