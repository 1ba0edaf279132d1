// Package db runs a database source's query (or push-down aggregate)
// under its timeout, keeps the result in the project's .funnel-cache/,
// and makes sure no error, log line or cache file carries the password.
package db

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/clickhouse"
	"github.com/funnel-report/funnel/internal/sources/postgres"
)

// CacheDir is where query results are kept, under the project folder.
const CacheDir = ".funnel-cache"

// Query returns the rows of a query source: from the cache when useCache
// and the same query was answered before, else from the server.
func Query(ctx context.Context, fsys fs.FS, dir string, src config.Source, useCache bool) (*sources.Table, sources.Stat, error) {
	q, err := queryText(fsys, src)
	if err != nil {
		return nil, sources.Stat{}, err
	}
	var res *sources.Table
	st, err := fetch(ctx, dir, src, []any{"rows", src.Kind, q}, useCache, &res, func(ctx context.Context, dsn string) (int64, error) {
		var qerr error
		switch src.Driver {
		case "postgres":
			res, qerr = postgres.Query(ctx, dsn, q)
		case "clickhouse":
			res, qerr = clickhouse.Query(ctx, dsn, q)
		default:
			qerr = fmt.Errorf("unknown driver %q", src.Driver)
		}
		if qerr != nil {
			return 0, qerr
		}
		return int64(len(res.Data)), nil
	})
	if err != nil {
		return nil, st, err
	}
	res.Source = src.Label()
	st.Rows = int64(len(res.Data))
	return res, st, nil
}

// PushDown returns a ClickHouse event table reduced to aggregates.
func PushDown(ctx context.Context, _ fs.FS, dir string, src config.Source, spec sources.PushDown, useCache bool) (*sources.EventAggregate, sources.Stat, error) {
	var agg *sources.EventAggregate
	st, err := fetch(ctx, dir, src, []any{"pushdown", spec}, useCache, &agg, func(ctx context.Context, dsn string) (int64, error) {
		var qerr error
		agg, qerr = clickhouse.PushDown(ctx, dsn, spec)
		if qerr != nil {
			return 0, qerr
		}
		return int64(len(agg.Leads) + len(agg.Durations) + len(agg.Chain)), nil
	})
	if err != nil {
		return nil, st, err
	}
	st.Rows = int64(len(agg.Leads) + len(agg.Durations) + len(agg.Chain))
	st.Events = agg.Events
	if spec.ChainWindowDays > 0 {
		st.ChainWindow, st.ChainSteps = spec.ChainWindowDays, agg.Steps
		st.Chain = make([]int64, len(agg.Steps))
		for _, c := range agg.Chain {
			for i := 0; i < c.Furthest && i < len(st.Chain); i++ {
				st.Chain[i] += c.Leads
			}
		}
	}
	return agg, st, nil
}

// queryText is the source's query, or its query file's text.
func queryText(fsys fs.FS, src config.Source) (string, error) {
	if src.QueryFile == "" {
		return src.Query, nil
	}
	b, err := fs.ReadFile(fsys, path.Clean(src.QueryFile))
	if err != nil {
		return "", fmt.Errorf("source %q: query_file: %w", src.Label(), unwrapPath(err))
	}
	return string(b), nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// fetch answers from the cache or runs query under the source's timeout,
// then caches the result. out points at the result query fills.
func fetch[T any](ctx context.Context, dir string, src config.Source, params []any, useCache bool, out *T, query func(context.Context, string) (int64, error)) (sources.Stat, error) {
	st := sources.Stat{Source: src.Label()}
	dsn, err := src.ExpandDSN()
	if err != nil {
		return st, fmt.Errorf("source %q: %w", src.Label(), err)
	}
	key, err := cacheKey(src, dsn, params)
	if err != nil {
		return st, err
	}
	file := ""
	if dir != "" {
		file = filepath.Join(dir, CacheDir, key+".gob")
	}
	if useCache && file != "" && readCache(file, out) == nil {
		st.Cached = true
		return st, nil
	}
	start := time.Now()
	qctx, cancel := context.WithTimeout(ctx, src.QueryTimeout())
	defer cancel()
	_, err = query(qctx, dsn)
	st.Took = time.Since(start)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(qctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within the timeout of %s (set timeout: on the source): %w", src.QueryTimeout(), err)
		}
		return st, fmt.Errorf("source %q: %s", src.Label(), Scrub(err.Error(), dsn))
	}
	if file != "" {
		// A cache that cannot be written costs a re-query, not the build.
		_ = writeCache(file, out)
	}
	return st, nil
}

// Scrub removes the DSN and its passwords from a message.
func Scrub(msg, dsn string) string {
	if dsn == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, dsn, config.RedactDSN(dsn))
	for _, s := range config.Secrets(dsn) {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	return msg
}

// cacheKey hashes what decides a result: driver, the DSN without its
// password, and the query with its parameters.
func cacheKey(src config.Source, dsn string, params []any) (string, error) {
	b, err := json.Marshal(append([]any{src.Driver, config.RedactDSN(dsn)}, params...))
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return src.Driver + "-" + hex.EncodeToString(h[:16]), nil
}

func readCache[T any](file string, out *T) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return gob.NewDecoder(f).Decode(out)
}

// writeCache writes atomically: a half-written file is never read.
func writeCache[T any](file string, v *T) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := gob.NewEncoder(tmp).Encode(v); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
