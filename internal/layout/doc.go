// Package layout holds no code: its test keeps the import arrows between
// stancewatch's rooms (see "How the code is laid out" in the README), so
// that the layout does not drift.
package layout
