// Loaded with `node --import` before Amplify Hosting's compute entry (nitropack's `aws-amplify` preset), which
// always listens on port 3000 on every interface: in tests it listens on PORT, on loopback only.
import { Server } from 'node:http'

const listen = Server.prototype.listen
Server.prototype.listen = function (...args) {
  const callback = args.find(arg => typeof arg === 'function')
  return listen.call(this, Number(process.env.PORT), '127.0.0.1', callback)
}
