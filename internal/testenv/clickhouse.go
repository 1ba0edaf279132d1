package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/funnel-report/funnel/internal/skipgroup"
)

// ClickHouse is a running throwaway ClickHouse server.
type ClickHouse struct {
	Port     int // native protocol
	Password string
	Dir      string
}

// DSN is the native-protocol URL of the server as user funnel.
func (c *ClickHouse) DSN() string {
	return fmt.Sprintf("clickhouse://funnel:%s@127.0.0.1:%d/default?dial_timeout=10s", c.Password, c.Port)
}

// StartClickHouse writes a minimal config (its own ports, paths and a
// user funnel with password) into a temporary folder and starts
// clickhouse-server with it; t.Cleanup stops it.
func StartClickHouse(t testing.TB, password string) *ClickHouse {
	t.Helper()
	bin, err := lookPath("clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse")
	if err != nil {
		skipgroup.DB.Skip(t, "ClickHouse (clickhouse-server) is not installed")
	}
	dir := worldTemp(t)
	c := &ClickHouse{Port: freePort(t), Password: password, Dir: dir}
	httpPort, interPort := freePort(t), freePort(t)
	cfg := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/server.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%[2]d</tcp_port>
  <http_port>%[3]d</http_port>
  <interserver_http_port>%[4]d</interserver_http_port>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path>
  <format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
`, dir, c.Port, httpPort, interPort)
	users := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <funnel><password>%s</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></funnel>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`, password)
	for _, sub := range []string{"data", "tmp", "user_files", "format_schemas"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeFile(filepath.Join(dir, "config.xml"), cfg); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(dir, "users.xml"), users); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config-file=" + filepath.Join(dir, "config.xml")}
	if filepath.Base(bin) == "clickhouse" {
		args = append([]string{"server"}, args...)
	}
	cmd := exec.Command(bin, args...) // unlike PostgreSQL, ClickHouse runs as root
	cmd.Dir = dir
	logFile := filepath.Join(dir, "stdout.log")
	exited := start(t, cmd, logFile)
	t.Cleanup(func() { stop(cmd, exited, syscall.SIGTERM) })
	waitPort(t, c.Port, exited, filepath.Join(dir, "server.err.log"))
	return c
}
