package analysis

import "sync"

// workers is how many goroutines a parallel pass uses: a fixed number, so
// that the package reads nothing of the machine (TestPure); more than the
// cores costs only a goroutine's start.
const workers = 4

// forEach calls fn(i) for every i in [0, n) on up to workers goroutines,
// each taking a contiguous run of indexes in order. fn must write only
// what belongs to i and read only what no fn call writes; then the result
// is the same as a loop's, whatever the scheduling.
//
// The passes run this way are those over periods (or over the funnels of
// a period) whose results depend on nothing else computed in the same
// pass: on a 400-page site they are most of the analysis, which was the
// one single-core stretch of a build and of serve's data edit.
func forEach(n int, fn func(i int)) {
	k := min(workers, n)
	if k <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range k {
		lo, hi := n*w/k, n*(w+1)/k
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}
