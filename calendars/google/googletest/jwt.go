package googletest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"time"
)

type serviceAccount struct {
	key   *rsa.PrivateKey
	keyID string
	email string
}

// ServiceAccountEmail is the client_email of the key ServiceAccountKey returns.
const ServiceAccountEmail = "oneonone-test@googletest-fake.iam.gserviceaccount.com"

// ServiceAccountKey returns a service-account key file, the JSON Google's
// console lets one download, whose token_uri is this fake's token endpoint.
// The fake verifies the signature of JWT bearer grants with this key; use
// the file with golang.org/x/oauth2/google.JWTConfigFromJSON (and set
// Subject for domain-wide delegation). The key is made on first use.
func (s *Server) ServiceAccountKey() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	sa := s.serviceAccount()
	der, _ := x509.MarshalPKCS8PrivateKey(sa.key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	data, _ := json.MarshalIndent(map[string]string{
		"type":                        "service_account",
		"project_id":                  "googletest-fake",
		"private_key_id":              sa.keyID,
		"private_key":                 string(keyPEM),
		"client_email":                sa.email,
		"client_id":                   "100000000000000000001",
		"auth_uri":                    s.URL + "/o/oauth2/auth",
		"token_uri":                   s.TokenURL(),
		"auth_provider_x509_cert_url": s.URL + "/oauth2/v1/certs",
	}, "", "  ")
	return data
}

// ServiceAccountPrivateKey returns the key (and its key id) behind
// ServiceAccountKey, for building a golang.org/x/oauth2/jwt.Config directly.
func (s *Server) ServiceAccountPrivateKey() (key *rsa.PrivateKey, keyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sa := s.serviceAccount()
	return sa.key, sa.keyID
}

func (s *Server) serviceAccount() *serviceAccount {
	if s.auth.sa == nil {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic("googletest: generating a service-account key: " + err.Error())
		}
		s.auth.sa = &serviceAccount{key: key, keyID: strings.ToLower(randomString(20)), email: ServiceAccountEmail}
	}
	return s.auth.sa
}

type jwtClaims struct {
	Iss   string `json:"iss"`
	Sub   string `json:"sub"`
	Scope string `json:"scope"`
	Aud   string `json:"aud"`
	Exp   int64  `json:"exp"`
	Iat   int64  `json:"iat"`
}

// jwtGrant checks a service-account assertion as Google does: RS256 signed
// by the service account's key, audience = token endpoint, lifetime of at
// most an hour around the current wall-clock time (the client library signs
// with time.Now, so the injected clock is not used here), non-empty scope.
func (s *Server) jwtGrant(assertion string) (*IssuedToken, *oauthError) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return nil, invalidGrant("Invalid JWT: malformed assertion.")
	}
	var claims jwtClaims
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return nil, invalidGrant("Invalid JWT: malformed claims.")
	}
	sa := s.auth.sa
	if sa == nil || claims.Iss != sa.email {
		return nil, invalidGrant("Invalid grant: account not found")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(&sa.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return nil, invalidGrant("Invalid JWT Signature.")
	}
	if claims.Aud != s.TokenURL() {
		return nil, invalidGrant("Invalid JWT: Failed audience check.")
	}
	now := time.Now().Unix()
	if claims.Exp < now || claims.Iat > now+300 || claims.Exp-claims.Iat > 3600 {
		return nil, invalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a " +
			"reasonable timeframe. Check your iat and exp values in the JWT claim.")
	}
	if claims.Scope == "" {
		return nil, &oauthError{400, "invalid_scope", "Empty or missing scope not allowed."}
	}
	subject := claims.Sub
	if subject == "" {
		subject = sa.email
	}
	if s.auth.rejected[subject] {
		return nil, invalidGrant("Invalid email or User ID")
	}
	return s.issue(subject, GrantJWTBearer, claims.Scope, ""), nil
}
