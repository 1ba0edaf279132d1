// Package clickhouse reads a source from ClickHouse over its native
// protocol (clickhouse-go v2; its HTTP mode fails on the 18.x servers of
// Debian): the rows of a query, or an event table reduced to aggregates
// by SQL this package writes (push-down).
package clickhouse

import (
	"context"
	"fmt"
	"reflect"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/text"
)

// open connects over the native protocol whatever the DSN's scheme says.
func open(ctx context.Context, dsn string) (driver.Conn, error) {
	opts, err := ch.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	opts.Protocol = ch.Native
	// The source's timeout bounds the query (ctx); the driver's own read
	// timeout (5 minutes) must not cut a longer one short while the server
	// is still aggregating.
	if d, ok := ctx.Deadline(); ok {
		opts.ReadTimeout = max(opts.ReadTimeout, time.Until(d)+time.Minute)
	}
	conn, err := ch.Open(opts)
	if err != nil {
		return nil, err
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// Query runs q and reads every row as text.
func Query(ctx context.Context, dsn, q string) (*sources.Table, error) {
	conn, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &sources.Table{Columns: rows.Columns()}
	types := rows.ColumnTypes()
	dest := make([]any, len(types))
	for i, ct := range types {
		dest[i] = reflect.New(ct.ScanType()).Interface()
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("row %d: %w", len(t.Data)+1, err)
		}
		rec := make([]string, len(dest))
		for i, d := range dest {
			rec[i] = text.Of(reflect.ValueOf(d).Elem().Interface())
		}
		t.Data = append(t.Data, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return t, nil
}
