// The service's actions and functions.
const cds = require('@sap/cds')

module.exports = class NurseryService extends cds.ApplicationService {
  init() {
    const { Greenhouses, Beds } = this.entities

    this.on('water', Greenhouses, async (req) => {
      const [{ ID }] = req.params
      await UPDATE(Greenhouses, ID).with({ humidity: req.data.humidity })
      return SELECT.one.from(Greenhouses, ID)
    })

    this.on('bedCount', Greenhouses, async (req) => {
      const [{ ID }] = req.params
      const { count } = await SELECT.one`count(*) as count`.from(Beds).where({ greenhouse_ID: ID })
      return count
    })

    this.on('clearSoil', async () => {
      const { count } = await SELECT.one`count(*) as count`.from(Beds)
      await UPDATE(Beds).with({ soil: null })
      return count
    })

    this.on('countByClimate', async (req) => {
      const { count } = await SELECT.one`count(*) as count`.from(Greenhouses).where({ climate: req.data.climate })
      return count
    })

    return super.init()
  }
}
