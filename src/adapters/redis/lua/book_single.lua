
-- One booking: book.lua's bookOne (put before this file) with the script's own KEYS and ARGV.
return bookOne(KEYS, ARGV)
