package site

// SetHook and SetAtomicSwap let the kill tests (package site_test) stop a
// build at each step of Write and take the non-atomic path.
func SetHook(f func(step string)) { hook = f }

func SetAtomicSwap(on bool) { atomicSwap = on }
