// Package postgres runs a source's query on PostgreSQL with pgx and
// returns its rows as text, the way the CSV loaders read them.
package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/text"
)

// Query connects with dsn, runs q and reads every row. A date column
// reads "2024-03-05"; a timestamp "2024-03-05 14:30:00" in UTC.
func Query(ctx context.Context, dsn, q string) (*sources.Table, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &sources.Table{}
	for _, fd := range rows.FieldDescriptions() {
		t.Columns = append(t.Columns, fd.Name)
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", len(t.Data)+1, err)
		}
		rec := make([]string, len(vals))
		for i, v := range vals {
			rec[i] = text.Of(v)
		}
		t.Data = append(t.Data, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return t, nil
}
