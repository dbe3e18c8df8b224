"""/api/docs: Swagger UI served from this service (swagger-ui-bundle-v2), no CDN."""
