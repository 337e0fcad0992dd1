"""Storage: the database's layout (schema: named migrations), its writes (documents) and its
read-side queries (queries). With the graph package, the only code that runs SQL."""
from .documents import (StorageError, ensure_schema, file_index, is_directives_db, open_db, remove_documents,
                        save_document, save_error, stored_paths, touch_file,
                        write_transaction)
from .schema import CHILD_SCHEMA, CHILD_TABLES, SCHEMA_VERSION

__all__ = ["CHILD_SCHEMA", "CHILD_TABLES", "SCHEMA_VERSION", "StorageError", "ensure_schema",
           "file_index", "is_directives_db", "open_db", "remove_documents", "save_document", "save_error",
           "stored_paths", "touch_file", "write_transaction"]
