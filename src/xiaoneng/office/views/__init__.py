"""Office views, one module per area; every view is a plain function except sign-in/out."""
