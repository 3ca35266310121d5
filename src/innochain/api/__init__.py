"""FastAPI application: the REST API under /api/v1 and the pages, one process."""
