"""The compiled read path: a GraphQL query's root field answered by ONE SQL statement
that builds its JSON in the database. The resolver path (strawberry + dataloaders)
stays the reference and the fallback."""
