// A library the missing_dependency plugin links against; the test hides it at run time.
extern "C" int vanishing_dependency_value() { return 3; }
