{said: 
