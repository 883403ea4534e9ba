// Package api holds the HTTP contract, openapi.yaml, embedded so the server
// can serve it and tests can validate every response against it.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3 document of API v1.
//
//go:embed openapi.yaml
var OpenAPI []byte
