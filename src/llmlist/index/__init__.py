"""The index of a large catalog file: its validated entries in an SQLite database that answers
queries without loading every entry.

`store` builds and opens the database of one file, `merged` lays indexed files and files held in
memory over each other as the catalog does, and `answer` searches and finds entries in the result.
"""
