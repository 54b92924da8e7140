//! Unit tests of the validation rules.
