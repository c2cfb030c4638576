"""What users may type that must stay text in every format of the record."""

XSS_TITLE = '<img src=x onerror="alert(1)"> 取引先ポータル'
EVIL_NOTE = (
    '<a href="file:///etc/passwd">passwd</a> <link rel=stylesheet href=http://169.254.169.254/x>'
)
