"""The installation's keys and the PAdES signatures of decision records.

`pki`: the installation CA, its time-stamping key and the approvers' certificates (issued by
the CA at their first sign-off); where an organisation's own CA or an HSM (PKCS#11) plugs in.
`tsa`: the local time-stamping authority, or an RFC 3161 server. `fonts`: the stamp font, cut
down to the characters a stamp shows. `pdf`: the signature fields of a 承認欄, one signature
per approver as an incremental update, the closing document timestamp with the validation
data. `check`: what a PDF's signatures and embedded record say, offline, against the CA.

Nothing here reads or writes a review; `reviews.services.signoff` and `reviews.records.verify`
call it. Keys never leave this package in clear.
"""
