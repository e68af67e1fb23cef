// Package webapi is what the adapters of calendar web APIs (Google
// Calendar, Microsoft Graph) share about talking to a metered, throttling
// HTTP API: retries that honour Retry-After with a capped, jittered
// backoff, a per-minute request budget for the app and for each user
// divided between the instances that share it, and a transport that
// bounds and counts response bodies. What a status or an error body
// means, and the quotas' numbers, stay in each adapter.
package webapi
