// Unit tests never touch a database; make that explicit so an accidental import fails fast instead of opening PGlite.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
process.env.PGLITE_DIR = "memory://";
