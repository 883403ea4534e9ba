package bleve

// Batches is how many batches the index has applied (bleve's count).
func (x *Index) Batches() uint64 {
	m, _ := x.idx.StatsMap()["index"].(map[string]any)
	n, _ := m["TotBatches"].(uint64)
	return n
}

// SetVersion overwrites the mapping version the index says it was made
// with (a test's stand-in for an index of another version).
func (x *Index) SetVersion(v string) error { return x.idx.SetInternal(versionKey, []byte(v)) }
