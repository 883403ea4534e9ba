// Package seal encrypts secrets Debrief keeps at rest (OAuth tokens,
// webhook secrets) with AES-256-GCM under a key derived from the server's
// secret and the secret's purpose.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// Sealer seals and opens values for one purpose.
type Sealer struct{ aead cipher.AEAD }

// New derives the key for purpose ("debrief oauth token v1") from secret.
func New(secret []byte, purpose string) Sealer {
	key := sha256.Sum256(append([]byte(purpose+"\x00"), secret...))
	block, _ := aes.NewCipher(key[:]) // a 32-byte key cannot fail
	aead, _ := cipher.NewGCM(block)
	return Sealer{aead}
}

// Seal encrypts plain with a fresh nonce.
func (s Sealer) Seal(plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, nil)
}

// ErrOpen is a sealed value that does not open: damaged, or sealed under
// another secret.
var ErrOpen = errors.New("the sealed value cannot be decrypted (was the secret key changed?)")

// Open decrypts a sealed value.
func (s Sealer) Open(sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrOpen
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
