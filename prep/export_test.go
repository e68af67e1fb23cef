package prep

// OpenStored decrypts a stored answer ("answer") or edit ("edit") for
// tests that read the tables.
func OpenStored(c *AnswerCipher, table string, requestID int64, questionID, stored string) (string, error) {
	return c.open(table, requestID, questionID, stored)
}
