import { Client } from '@ccaip/headless'
import { roundTrip } from '../flow.js'

roundTrip(Client)
