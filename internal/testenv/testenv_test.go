package testenv

import (
	"context"
	"testing"

	"github.com/funnel-report/funnel/internal/sources/clickhouse"
	"github.com/funnel-report/funnel/internal/sources/postgres"
)

func TestServersStartAndAnswer(t *testing.T) {
	ctx := context.Background()
	t.Run("postgres", func(t *testing.T) {
		pg := StartPostgres(t, "pg-secret-1")
		res, err := postgres.Query(ctx, pg.DSN(), "SELECT 1 AS one, DATE '2024-03-05' AS d, TIMESTAMPTZ '2024-03-05 14:30:00+03' AS ts, 12.5::numeric AS n")
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Data[0]; got[0] != "1" || got[1] != "2024-03-05" || got[2] != "2024-03-05 11:30:00" || got[3] != "12.5" {
			t.Fatalf("row %q", got)
		}
	})
	t.Run("clickhouse", func(t *testing.T) {
		ch := StartClickHouse(t, "ch-secret-1")
		res, err := clickhouse.Query(ctx, ch.DSN(), "SELECT 1 AS one, toDate('2024-03-05') AS d, toDateTime('2024-03-05 14:30:00', 'UTC') AS ts, toDecimal64(12.5, 2) AS n, version() AS v")
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Data[0]; got[0] != "1" || got[1] != "2024-03-05" || got[2] != "2024-03-05 14:30:00" || got[3] != "12.5" {
			t.Fatalf("row %q", got)
		}
	})
}
