// A shared library named like a plugin that exports neither plugin symbol.
extern "C" int some_other_function() { return 7; }
