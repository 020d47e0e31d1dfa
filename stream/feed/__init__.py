"""`stream feed`: RSS/Atom feeds polled, their pages fetched politely, each new item produced once."""
