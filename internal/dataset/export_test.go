package dataset

// Exported for the external benchmarks in analysis_bench_test.go.
var (
	WriteRecords     = writeRecords
	RecordsBenchYAML = recordsBenchYAML
	CPUTime          = cpuTime
)
