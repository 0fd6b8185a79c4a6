package store

// The store's errors are eventlog's sentinels (ErrConflict, ErrNotFound,
// ErrStoreFull, ErrUnavailable, ErrBatchTooLarge), wrapped with what the
// server said: callers test them with errors.Is without importing the
// store.
