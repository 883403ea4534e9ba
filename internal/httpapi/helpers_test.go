package httpapi_test

import cfgpkg "github.com/debrief-hq/debrief/internal/config"

type config = cfgpkg.Config
