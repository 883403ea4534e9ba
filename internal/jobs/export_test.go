package jobs

import "time"

// SetIndexTurn sets the index update's gathering time and its turn, until
// the returned func puts them back.
func SetIndexTurn(every, budget time.Duration) (restore func()) {
	p := indexPace
	indexPace.Every, indexPace.Budget = every, budget
	return func() { indexPace = p }
}
