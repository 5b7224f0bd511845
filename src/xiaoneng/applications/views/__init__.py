"""Pages of the applications app: the office pages and the document downloads."""
