"""Visit views, one module per step of the visit."""
