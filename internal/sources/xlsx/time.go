package xlsx

import "time"

func unixEpochDay(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

func secondsDuration(s int64) time.Duration { return time.Duration(s) * time.Second }
